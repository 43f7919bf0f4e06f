# A build that fails on purpose, for `scripts/demo`: a tiny stdenv-like setup
# runs its phases and the build phase stops on a "compile error".
# bash and tools are store paths made offline by scripts/make-fixtures.
{ bash, tools }:
let
  bashPath = builtins.storePath bash;
  toolsPath = builtins.storePath tools;
in
derivation {
  name = "hello-demo-1.0";
  system = builtins.currentSystem;
  builder = "${bashPath}/bin/bash";
  args = [ "-e" ./builder.sh ];
  SHELL = "${bashPath}/bin/bash";
  PATH = "${toolsPath}/bin:${bashPath}/bin";
  stdenv = ./mini-stdenv;
  src = ./src;
}
