# right: X-Forwarded-Host in both blocks, the HTTP version set, the right upstream
FIXED = """
location / {
    include proxy_params;
    proxy_set_header X-Forwarded-Host $host:$server_port;
    proxy_pass http://chat;
}

location /socket.io {
    include proxy_params;
    proxy_set_header X-Forwarded-Host $host:$server_port;
    proxy_http_version 1.1;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "Upgrade";
    proxy_pass http://chat/socket.io;
}
"""
