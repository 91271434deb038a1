from mpcheck.cli import main

raise SystemExit(main())
