cat <<-EOF > /etc/x.conf && bash -ec "cd /src; make -j$(nproc)"
	line $HOME
	EOF
echo `id -u` $((1+2)) <(sort f) ${X:-$(date)}
