# wrong: / fixed, but the port is still dropped from Host (and Connection "Upgrade" is missing)
# expect: origin was refused
FIXED = BROKEN.replace("proxy_pass http://127.0.0.1:5000;", "proxy_pass http://chat;")
