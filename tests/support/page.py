"""An HTML document as a tree, read with the stdlib's parser, to check what a page says (tests only)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Dict, Iterator, List, Optional, Union

VOID = {"meta", "input", "br", "hr", "link", "img", "area", "base", "col", "embed", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: Dict[str, Optional[str]], parent: Optional[Node]) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: List[Union[Node, str]] = []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def attr(self, name: str) -> str:
        """The value of attribute ``name``, which the element must have."""
        value = self.attrs.get(name)
        assert value is not None, f"<{self.tag}> has no {name!r} value"
        return value

    def classes(self) -> List[str]:
        return (self.attrs.get("class") or "").split()

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, cls: Optional[str] = None, **attrs: str) -> List[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag
            and (cls is None or cls in n.classes())
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, cls: Optional[str] = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag}> with class {cls!r} and {attrs}"
        return found[0]

    def children_of(self, tag: str) -> List[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.errors: List[str] = []

    def handle_starttag(self, tag: str, attrs: List) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}>")
            return
        self.current = self.current.parent or self.root

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(text: str) -> Node:
    """The document's tree; every end tag must close the element it belongs to (the page is well formed)."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root
