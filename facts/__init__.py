"""Release facts from the package index: `make refresh-facts` writes data/releases.yml, `make check-facts` compares.

One concern per module: `index` reads a package's latest final release from
the index's Simple API, `wheel` reads a wheel's METADATA, `pins` reads the
examples' pinned versions, `compare` lines up what the data holds with what the
index says, `writer` writes data/releases.yml; `__main__` is the command line.
"""
