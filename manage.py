#!/usr/bin/env python
from arobase.__main__ import main

if __name__ == "__main__":
    main()
