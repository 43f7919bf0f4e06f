# The demo package of `scripts/demo`: a small C program built with the
# stdenv-like fixture's stdenv and its real (relocated Debian) gcc, as a
# nixpkgs stdenv.mkDerivation would build it. Its source has a real compile
# error. The arguments are store paths scripts/make-fixtures made offline
# (STORE_BASH's store path and STORE_STDENV_REAL from fixtures.env).
{ bash, stdenv }:
let
  sp = builtins.storePath;
in
derivation {
  name = "hello-demo-1.0";
  pname = "hello-demo";
  version = "1.0";
  system = builtins.currentSystem;
  builder = "${sp bash}/bin/bash";
  args = [ "-e" ./builder.sh ];
  stdenv = sp stdenv;
  src = ./src;
}
