declare PATH='/nix/store/2p78pynqz286f9bjsb6i006cjb7gkm4c-tools/bin:/nix/store/mj2bkc9g7in57nki365jy18nyyan3rf1-busybox/bin:/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin'
declare SHELL='/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin/bash'
declare builder='/nix/store/dmcqva01b50759sfk2gvvm8vwxgikmas-bash/bin/bash'
declare name='nbs-structured'
declare -A outputs=(['out']='/nix/store/fqlakfcbrsqpm81y0n63b7h257hdbkm6-nbs-structured' )
declare stdenv='/nix/store/hk2hd8fa5zwzaq5s0vdigfcnxv9alw8n-stdenv'
declare system='x86_64-linux'
declare tools='/nix/store/2p78pynqz286f9bjsb6i006cjb7gkm4c-tools'
