# wrong: the docs' blocks with Debian's proxy_params: Host loses the port, the Origin check refuses the page
# expect: origin was refused
LOCATIONS = """
location / {
    include proxy_params;
    proxy_pass http://chat;
}

location /socket.io {
    include proxy_params;
    proxy_http_version 1.1;
    proxy_buffering off;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "Upgrade";
    proxy_pass http://chat/socket.io;
}
"""
