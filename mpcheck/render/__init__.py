"""How results are drawn and told: :mod:`.styles` (how every table spells and colours a status, the console),
:mod:`.htmlpage` (one self-contained HTML page) and :mod:`.github` (the job summary, workflow annotations,
Markdown). Runs in the ``mpcheck`` command only; empty on purpose, like every package here.
"""
