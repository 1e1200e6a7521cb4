#!/usr/bin/env python3
"""Checks the studio's page files (Sources/DigitsStudio/Web) the way an editor's linter would, without a browser.

- every .js part, and each page's whole script (the parts joined in StudioPage.swift's order), passes
  `node --check` (syntax);
- every .css file parses with tinycss2 without errors (unclosed blocks, bad tokens);
- every .html file's tags nest and close properly (void elements aside), ids are unique, and every
  `<!--#include NAME -->` names a file that exists;
- every file listed in Package.swift's studioPageFiles exists, and every file in Web/ is listed.

usage: check_page_files.py [WEB_DIR]   (exit status 1 and one line per problem when something is wrong)
"""
import html.parser, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TagChecker(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.stack, self.problems, self.ids, self.includes = name, [], [], set(), []

    def where(self):
        return f"{self.name}:{self.getpos()[0]}"

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id":
                if value in self.ids:
                    self.problems.append(f"{self.where()}: id \"{value}\" is used twice")
                self.ids.add(value)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tag = f"<{self.stack[-1][0]}> from line {self.stack[-1][1]}" if self.stack else "nothing"
            self.problems.append(f"{self.where()}: </{tag}> closes {open_tag}")
            return
        self.stack.pop()

    def handle_comment(self, data):
        match = re.match(r"#include (\S+) $", data)
        if match:
            self.includes.append(match.group(1))


def main():
    web = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Sources/DigitsStudio/Web")
    problems = []
    files = sorted(os.listdir(web))
    package = open(os.path.join(ROOT, "Package.swift")).read()
    listed = re.findall(r'"([\w.]+\.(?:html|css|js))"', package[package.index("let studioPageFiles"):package.index("let package")])
    problems += [f"Package.swift lists {name}, which is not in {web}" for name in listed if name not in files]
    problems += [f"{name} is in {web} but not listed in Package.swift's studioPageFiles" for name in files if name not in listed]

    for name in files:
        path = os.path.join(web, name)
        text = open(path, encoding="utf-8").read()
        if name.endswith(".js"):
            result = subprocess.run(["node", "--check", path], capture_output=True, text=True)
            if result.returncode != 0:
                problems.append(f"{name}: node --check: " + " | ".join(line.strip() for line in result.stderr.splitlines()[:4] if line.strip()))
        elif name.endswith(".css"):
            import tinycss2
            for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
                if rule.type == "error":
                    problems.append(f"{name}:{rule.source_line}: {rule.message}")
                elif rule.type == "qualified-rule":
                    for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                        if item.type == "error":
                            problems.append(f"{name}:{item.source_line}: {item.message}")
        elif name.endswith(".html"):
            checker = TagChecker(name)
            checker.feed(text)
            checker.close()
            problems += checker.problems
            if name != "status_toast.html":
                problems += [f"{name}: <{tag}> from line {line} is never closed" for tag, line in checker.stack]
            problems += [f"{name}: includes {include}, which does not exist" for include in checker.includes if include not in files]

    # Each page's whole script, joined in the order StudioPage.swift serves it.
    swift = open(os.path.join(ROOT, "Sources/DigitsStudio/StudioPage.swift")).read()
    for page in ["drawScriptParts", "modelScriptParts", "trainScriptParts"]:
        match = re.search(rf"static let {page} = \[(.*?)\]", swift, re.S)
        if not match:
            problems.append(f"StudioPage.swift has no {page}")
            continue
        parts = [re.sub(r"_(js)$", r".\1", name) for name in re.findall(r"PackageResources\.(\w+)", match.group(1))]
        with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as joined:
            joined.write("\n".join(open(os.path.join(web, part), encoding="utf-8").read().rstrip("\n") for part in parts))
        result = subprocess.run(["node", "--check", joined.name], capture_output=True, text=True)
        os.unlink(joined.name)
        if result.returncode != 0:
            problems.append(f"{page} joined: node --check: " + " | ".join(line.strip() for line in result.stderr.splitlines()[:4] if line.strip()))

    for problem in problems:
        print(problem)
    print(f"checked {len(files)} page files: {'ok' if not problems else f'{len(problems)} problem(s)'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
