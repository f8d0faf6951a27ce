# wrong: upstream, origin and HTTP version fixed, but without Connection "Upgrade" nginx sends Connection: close
# expect: WebSocket upgrade does not get through
FIXED = BROKEN.replace("proxy_pass http://127.0.0.1:5000;", "proxy_pass http://chat;").replace(
    "    proxy_buffering off;",
    "    proxy_set_header X-Forwarded-Host $host:$server_port;\n    proxy_http_version 1.1;\n"
    "    proxy_buffering off;")
