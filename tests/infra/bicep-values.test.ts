/**
 * The expression evaluator and syntax check the rules stand on: what resolves to a literal, what stays an
 * expression, and that broken syntax is reported with a position.
 */
import { loadBicepFile } from '../../infra/validate/bicep-model';
import { Expr, flattenStrings, getPath, refsOf } from '../../infra/validate/bicep-values';

const SOURCE = `
@allowed([
  'a'
  'b'
])
param mode string = 'a'
@secure()
param secret string
var ids = {
  sender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}
var prefix = 'pre'
resource ns 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: '\${prefix}-ns'
  properties: {
    publicNetworkAccess: mode
    disableLocalAuth: true
  }
  resource q 'queues' = {
    name: 'q1'
  }
}
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(ns.id, ids.sender)
  scope: ns
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ids.sender)
    url: 'https://\${ns.name}.example'
  }
}
resource looped 'Microsoft.X/things@2020-01-01' = [for i in range(0, 2): {
  name: 'thing\${i}'
}]
`;

describe('bicep model and evaluator', () => {
  const file = loadBicepFile('test.bicep', SOURCE);

  test('parses cleanly and reads params with decorators', () => {
    expect(file.syntax).toEqual([]);
    expect(file.params.get('mode')).toMatchObject({ hasDefault: true, decorators: { allowed: ['a', 'b'] } });
    expect(file.params.get('secret')).toMatchObject({ hasDefault: false, decorators: { secure: true } });
  });

  test('resolves vars, interpolation and member access; keeps params and resources as expressions', () => {
    const [ns, queue, ra, looped] = file.resources;
    expect(ns!.body['name']).toBe('pre-ns');
    expect(refsOf(getPath(ns!.body, 'properties.publicNetworkAccess'))).toEqual(['mode']);
    expect(queue).toMatchObject({
      type: 'Microsoft.ServiceBus/namespaces/queues',
      apiVersion: '2024-01-01',
      symbol: 'q',
    });
    expect(flattenStrings(getPath(ra!.body, 'properties.roleDefinitionId'))).toContain(
      '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
    );
    const url = getPath(ra!.body, 'properties.url');
    expect(url).toBeInstanceOf(Expr);
    expect((url as Expr).text).toBe('https://${ns.name}.example');
    expect(looped).toMatchObject({ loop: true, type: 'Microsoft.X/things' });
  });

  test('reports syntax errors with their line', () => {
    const broken = loadBicepFile('broken.bicep', "param a string\nresource x 'T@1' = {\n  name: 'x'\n");
    expect(broken.syntax.length).toBeGreaterThan(0);
    expect(broken.syntax[0]!.line).toBeGreaterThanOrEqual(2);
  });
});
