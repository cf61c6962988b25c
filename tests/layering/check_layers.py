#!/usr/bin/env python3
"""check_layers.py - the include rules of src/LAYERS, checked over src/ and include/pronostic/.

usage: check_layers.py ROOT      check the tree at ROOT; exit 1 listing every violation
       check_layers.py --self-test ROOT
                                 check ROOT, then copies of it with deliberately wrong
                                 includes, which must each be refused with the right message

Rules (src/LAYERS says them in words): every public header include/pronostic/X.h belongs to one
module; a file of module M (src/M/*, or a public header of M) may include "pronostic/X.h" when X
is M's or belongs to a lower layer; a file in src/M/ may include a private header only as
"NAME.h" where src/M/NAME.h exists; a public header includes only public headers.
"""
import os
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_layers(root):
    layer_of, owner = {}, {}
    for n, line in enumerate(open(os.path.join(root, "src", "LAYERS"), encoding="utf-8"), 1):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        level, module, headers = int(line[0]), line[1], line[2:]
        if module in layer_of:
            raise SystemExit(f"src/LAYERS:{n}: module {module} listed twice")
        layer_of[module] = level
        for h in headers:
            if h in owner:
                raise SystemExit(f"src/LAYERS:{n}: header {h}.h listed for {owner[h]} and {module}")
            owner[h] = module
    return layer_of, owner


def check(root):
    layer_of, owner = read_layers(root)
    errors = []
    inc = os.path.join(root, "include", "pronostic")
    files = []  # (path relative to root, module, public?)
    for name in sorted(os.listdir(inc)):
        if not name.endswith(".h"):
            continue
        h = name[:-2]
        if h not in owner:
            errors.append(f"include/pronostic/{name}: a public header of no module: list it in src/LAYERS")
            continue
        files.append((f"include/pronostic/{name}", owner[h], True))
    for h, m in owner.items():
        if not os.path.exists(os.path.join(inc, h + ".h")):
            errors.append(f"src/LAYERS: header {h}.h of {m} does not exist")
    src = os.path.join(root, "src")
    for module in sorted(os.listdir(src)):
        d = os.path.join(src, module)
        if not os.path.isdir(d):
            continue
        if module not in layer_of:
            errors.append(f"src/{module}/: a module of no layer: list it in src/LAYERS")
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h", ".def")):
                files.append((f"src/{module}/{name}", module, False))
    for m in layer_of:
        if not os.path.isdir(os.path.join(src, m)):
            errors.append(f"src/LAYERS: module {m} has no directory src/{m}/")
    for path, module, public in files:
        text = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path}:{line}: #include \"{target}\""
            if target.startswith("pronostic/"):
                h = target[len("pronostic/"):-2] if target.endswith(".h") else None
                other = owner.get(h)
                if other is None:
                    errors.append(f"{where}: no such public header")
                elif other != module and layer_of[other] >= layer_of[module]:
                    rel = "same" if layer_of[other] == layer_of[module] else "higher"
                    errors.append(f"{where}: module {module} (layer {layer_of[module]}) includes "
                                  f"{other} of a {rel} layer ({layer_of[other]})")
            elif public:
                errors.append(f"{where}: a public header includes a private one")
            elif "/" in target or not os.path.exists(os.path.join(src, module, target)):
                errors.append(f"{where}: not a private header of {module} (another module's "
                              f"private header, or none)")
    return errors


def self_test(root):
    """Wrong includes that must be refused, each with the words its message must hold."""
    errors = check(root)
    if errors:
        print("\n".join(errors))
        return 1
    cases = [
        ("src/base/num.c", '#include "pronostic/report.h"', "module base (layer 1) includes indicators of a higher layer"),
        ("src/cohort/cohort.c", '#include "store/store_internal.h"', "not a private header of cohort"),
        ("src/demo/demo_bundle.c", '#include "pronostic/netsurv_threads.h"', "includes analysis of a same layer"),
        ("include/pronostic/km.h", '#include "pronostic/writer.h"', "module stats (layer 6) includes publish of a higher layer"),
        ("include/pronostic/km.h", '#include "netsurv_internal.h"', "a public header includes a private one"),
    ]
    failed = 0
    for path, line, words in cases:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "tree")
            shutil.copytree(os.path.join(root, "src"), os.path.join(copy, "src"))
            shutil.copytree(os.path.join(root, "include"), os.path.join(copy, "include"))
            target = os.path.join(copy, path)
            text = open(target, encoding="utf-8").read()
            open(target, "w", encoding="utf-8").write(line + "\n" + text)
            found = check(copy)
            if not any(words in e and e.startswith(path + ":1:") for e in found):
                print(f"self-test: {line} in {path} was not refused with '{words}': {found}")
                failed += 1
    print(f"check_layers: the tree follows src/LAYERS; {len(cases) - failed} of {len(cases)} wrong includes refused")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--self-test":
        sys.exit(self_test(sys.argv[2]))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    errs = check(sys.argv[1])
    print("\n".join(errs) if errs else "check_layers: the tree follows src/LAYERS")
    sys.exit(1 if errs else 0)
