package org.nixbuildshell.launcher.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** jvm.conf's per-JDK variants: KEY@N replaces KEY from JDK N on, the highest N that applies winning. */
class InitCommandTest {
    private static Properties conf() {
        Properties conf = new Properties();
        conf.setProperty("archive", "cds");
        conf.setProperty("archive@25", "aot");
        conf.setProperty("options", "-Xa");
        conf.setProperty("options@24", "-Xa --enable-native-access=ALL-UNNAMED");
        conf.setProperty("options@30", "-Xb");
        return conf;
    }

    @Test
    void theHighestVariantUpToTheJdkWins() {
        assertEquals("cds", InitCommand.value(conf(), "archive", "", 17));
        assertEquals("aot", InitCommand.value(conf(), "archive", "", 25));
        assertEquals("-Xa", InitCommand.value(conf(), "options", "", 21));
        assertEquals("-Xa --enable-native-access=ALL-UNNAMED", InitCommand.value(conf(), "options", "", 25));
        assertEquals("-Xb", InitCommand.value(conf(), "options", "", 31));
    }

    @Test
    void aMissingKeyIsTheDefault() {
        assertEquals("x", InitCommand.value(conf(), "init.options", "x", 25));
    }
}
