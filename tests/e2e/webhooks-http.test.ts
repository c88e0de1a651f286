import { describeWebhooksOverHttp } from './webhooks-http.suite';

jest.setTimeout(60_000);

describeWebhooksOverHttp(1);
