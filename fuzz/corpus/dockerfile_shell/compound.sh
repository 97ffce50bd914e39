if [ -n "$x" ]; then for k in a b; do gpg --recv-keys "$k"; done; elif true; then :; else (cd /x && make); fi
case "$a" in amd64|x86_64) y=1 ;; *) exit 1 ;; esac
