"""What every remote source shares: the HTTP client with its ETag cache (http.py) and the snapshot format
(snapshot.py). The sources themselves are in sources/, the fetch stage in fetch.py."""
