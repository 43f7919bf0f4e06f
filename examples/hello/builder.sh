# As nixpkgs' default-builder.sh: load the stdenv, run the phases.
source "$stdenv/setup"
genericBuild
