/** The demo-mode e2e suite with the local host's HTTP functions in two worker processes (LOCAL_WORKERS=2). */
import { describeDemoSync } from './demo-sync.suite';

jest.setTimeout(180_000);

describeDemoSync(2);
