/** The webhook e2e suite with the local host's HTTP functions in two worker processes (LOCAL_WORKERS=2). */
import { describeWebhooksOverHttp } from './webhooks-http.suite';

jest.setTimeout(120_000);

describeWebhooksOverHttp(2);
