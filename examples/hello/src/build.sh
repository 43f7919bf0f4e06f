# Stands in for the compiler (the demo's store has none): it "compiles"
# hello.c and stops on the missing semicolon, as cc would.
if grep -q 'return 0$' hello.c; then
    echo "hello.c:5:13: error: expected ';' before '}' token" >&2
    exit 1
fi
printf '#!%s\necho "Hello, world!"\n' "$SHELL" > hello
chmod +x hello
echo "built ./hello"
