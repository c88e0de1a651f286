import { describeDemoSync } from './demo-sync.suite';

jest.setTimeout(90_000);

describeDemoSync(1);
