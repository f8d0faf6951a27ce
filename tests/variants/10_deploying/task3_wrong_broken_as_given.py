# wrong: the colleague's config unchanged: the page goes to port 5000 (502)
# expect: 502
FIXED = BROKEN
