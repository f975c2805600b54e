from __future__ import annotations

import pytest

from github_app.diff import DiffError, parse_diff

MULTI_HUNK = """\
diff --git a/svc.py b/svc.py
index 1111111..2222222 100644
--- a/svc.py
+++ b/svc.py
@@ -1,4 +1,5 @@
 import os
+import requests
 
 def a():
     pass
@@ -20,3 +21,4 @@ def b():
     x = 1
-    y = 2
+    y = 3
+    z = 4
     return x
"""

RENAME_AND_DELETE = """\
diff --git a/old name.py b/new name.py
similarity index 90%
rename from old name.py
rename to new name.py
index 1111111..2222222 100644
--- a/old name.py\t
+++ b/new name.py\t
@@ -1,2 +1,2 @@
 a = 1
-b = 2
+b = 3
diff --git a/gone.py b/gone.py
deleted file mode 100644
index 3333333..0000000
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-x = 1
-y = 2
diff --git a/new.py b/new.py
new file mode 100644
index 0000000..4444444
--- /dev/null
+++ b/new.py
@@ -0,0 +1,2 @@
+x = 1
+y = 2
\\ No newline at end of file
diff --git a/logo.png b/logo.png
index 5555555..6666666 100644
Binary files a/logo.png and b/logo.png differ
"""


def test_multiple_hunks_added_and_commentable_lines() -> None:
    fd = parse_diff(MULTI_HUNK)["svc.py"]
    assert fd.status == "modified"
    assert fd.added_lines == {2, 22, 23}
    assert fd.commentable_lines == {1, 2, 3, 4, 5, 21, 22, 23, 24}
    assert fd.hunks == ((1, 5), (21, 24))
    assert fd.same_hunk(21, 24) and not fd.same_hunk(4, 21)


def test_rename_delete_add_binary_and_no_newline() -> None:
    files = parse_diff(RENAME_AND_DELETE)
    assert set(files) == {"new name.py", "gone.py", "new.py", "logo.png"}
    renamed = files["new name.py"]
    assert (renamed.status, renamed.old_path, renamed.added_lines) == ("renamed", "old name.py", {2})
    gone = files["gone.py"]
    assert gone.status == "deleted" and not gone.commentable_lines
    new = files["new.py"]
    assert new.status == "added" and new.added_lines == {1, 2}
    assert files["logo.png"].is_binary


def test_crlf_diff_parses_like_lf() -> None:
    crlf = MULTI_HUNK.replace("\n", "\r\n")
    assert parse_diff(crlf)["svc.py"].added_lines == parse_diff(MULTI_HUNK)["svc.py"].added_lines


def test_empty_diff_is_empty() -> None:
    assert parse_diff("") == {}


def test_garbage_is_an_error() -> None:
    with pytest.raises(DiffError):
        parse_diff("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n only one line\n")
