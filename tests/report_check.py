#!/usr/bin/env python3
"""Check an HTML incident report: well formed, self-contained, safe.

    report_check.py REPORT.html [SVG_OUT_PREFIX]

Parses with html.parser and fails (exit 1, a reason per line) on: tags
that do not nest or close, any <script>, <iframe>, <object>, <embed>,
<link>, <base> or <meta http-equiv>, any on* event attribute, any src,
href or xlink:href (nothing may be fetched or followed), any url( or
@import in CSS, text with "javascript:", a page without <svg> when
SVG_OUT_PREFIX is given.  With SVG_OUT_PREFIX, each <svg> element is
written to PREFIX-N.svg as a standalone drawing (with the SVG namespace
added) for a renderer to check.
"""
import html.parser
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
FORBIDDEN = {"script", "iframe", "object", "embed", "link", "base", "frame",
             "frameset", "applet", "img", "audio", "video", "form", "input"}
SVG_NS = "http://www.w3.org/2000/svg"


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.svgs = []
        self.in_style = False

    def error_at(self, msg):
        line, col = self.getpos()
        self.errors.append("line %d: %s" % (line, msg))

    def check_attrs(self, tag, attrs):
        for name, value in attrs:
            n = name.lower()
            if n.startswith("on"):
                self.error_at("event attribute %s on <%s>" % (n, tag))
            if n in ("src", "href", "xlink:href", "action", "formaction",
                     "srcset", "poster", "background"):
                self.error_at("%s=%r on <%s>" % (n, value, tag))
            if n == "style" and value and re.search(r"url\(|@import|expression",
                                                    value, re.I):
                self.error_at("style fetches: %r" % value)
            if n == "http-equiv":
                self.error_at("<meta http-equiv>")

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.error_at("<%s> is not allowed" % tag)
        self.check_attrs(tag, attrs)
        if tag == "svg":
            self.svg_start = self.getpos()
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.error_at("<%s> is not allowed" % tag)
        self.check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack:
            self.error_at("</%s> closes nothing" % tag)
            return
        top, pos = self.stack.pop()
        if top != tag:
            self.error_at("</%s> closes <%s> opened at line %d" %
                          (tag, top, pos[0]))
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style and re.search(r"url\(|@import|expression", data,
                                       re.I):
            self.error_at("CSS fetches or runs something")
        if re.search(r"javascript:", data, re.I):
            self.error_at("javascript: in the text")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.error_at("unexpected declaration %r" % decl)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    text = open(sys.argv[1], encoding="utf-8").read()
    c = Checker()
    c.feed(text)
    c.close()
    for tag, pos in c.stack:
        c.errors.append("<%s> opened at line %d is never closed" %
                        (tag, pos[0]))
    if not text.startswith("<!DOCTYPE html>"):
        c.errors.append("no <!DOCTYPE html> first")
    if re.search(r"(https?|ftp|file|data):", text, re.I):
        c.errors.append("an address (http:, https:, data:, ...) in the page")
    if len(sys.argv) == 3:
        svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
        if not svgs:
            c.errors.append("no <svg> in the page")
        for i, svg in enumerate(svgs):
            svg = svg.replace("<svg ", '<svg xmlns="%s" ' % SVG_NS, 1)
            with open("%s-%d.svg" % (sys.argv[2], i), "w",
                      encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n' + svg)
    for e in c.errors:
        print(e)
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
