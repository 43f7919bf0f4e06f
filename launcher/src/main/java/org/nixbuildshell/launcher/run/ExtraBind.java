package org.nixbuildshell.launcher.run;

/** A host path brought in with --bind or --ro-bind (parsed and checked by the command line). */
public record ExtraBind(String source, String target, boolean readOnly) {}
