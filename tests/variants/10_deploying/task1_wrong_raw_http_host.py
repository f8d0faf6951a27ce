# wrong: passes the Origin check by forwarding the raw client Host header, which Debian calls unsafe
# expect: $http_host
LOCATIONS = """
location / {
    proxy_set_header Host $http_host;
    proxy_pass http://chat;
}

location /socket.io {
    proxy_set_header Host $http_host;
    proxy_http_version 1.1;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection "Upgrade";
    proxy_pass http://chat/socket.io;
}
"""
