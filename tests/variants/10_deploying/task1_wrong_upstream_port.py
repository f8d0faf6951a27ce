# wrong: the page goes to port 5000, where nothing listens: nginx answers 502
# expect: 502
LOCATIONS = """
location / {
    include proxy_params;
    proxy_set_header X-Forwarded-Host $host:$server_port;
    proxy_pass http://127.0.0.1:5000;
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
