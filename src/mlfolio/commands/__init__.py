"""The commands of the command line, one module each: flags in, library calls, printing out.

Each module has `register(subparsers)`, which adds its subparser(s) with `set_defaults(func=run)`; `run(args)`
returns the exit code and raises MlfolioError for problems in the user's site. The library never imports this
package.
"""
from __future__ import annotations

MODULES = ("init", "build", "serve", "fetch", "deploy", "cv", "imports", "themes")
COMMANDS = {"init": "init", "build": "build", "serve": "serve", "fetch": "fetch", "deploy": "deploy",
            "gh-actions": "deploy", "cv": "cv", "import": "imports", "themes": "themes"}      # command name -> the module that registers it
