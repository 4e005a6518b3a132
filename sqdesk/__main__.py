from sqdesk.cli import main

raise SystemExit(main())
