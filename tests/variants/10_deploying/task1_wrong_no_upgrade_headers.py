# wrong: without Upgrade/Connection the WebSocket never gets through: clients stay on long-polling
# expect: WebSocket upgrade does not get through
LOCATIONS = """
location / {
    include proxy_params;
    proxy_set_header X-Forwarded-Host $host:$server_port;
    proxy_pass http://chat;
}

location /socket.io {
    include proxy_params;
    proxy_set_header X-Forwarded-Host $host:$server_port;
    proxy_http_version 1.1;
    proxy_buffering off;
    proxy_pass http://chat/socket.io;
}
"""
