"""Stage 3 of the data flow: Whoosh index generations on disk, written by `build` and `update`.

Only `internals` touches Whoosh's private parts; everything else here uses its public API.
"""
