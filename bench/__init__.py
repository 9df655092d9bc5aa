"""`make bench`: the bulk paths (bench/run.py) and the web pages (bench/web.py)."""
