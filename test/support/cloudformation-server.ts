import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestStack {
  name: string;
  status?: string;
  outputs: Record<string, string>;
}

export interface TestCloudFormation {
  endpoint: string;
  /** The DescribeStacks calls answered so far. */
  describes: number;
  close(): Promise<void>;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const member = (stack: TestStack) => `<member>
  <StackName>${xml(stack.name)}</StackName>
  <StackId>arn:aws:cloudformation:eu-west-1:000000000000:stack/${xml(stack.name)}/1</StackId>
  <CreationTime>2026-03-01T09:00:00.000Z</CreationTime>
  <StackStatus>${xml(stack.status ?? 'CREATE_COMPLETE')}</StackStatus>
  <Outputs>${Object.entries(stack.outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${xml(key)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`,
    )
    .join('')}</Outputs>
</member>`;

/**
 * The one CloudFormation call the CLI makes (DescribeStacks, the query API: a form-encoded POST
 * answered in XML), on loopback with the stacks given, so the real SDK client parses a real answer.
 */
export async function startTestCloudFormation(stacks: TestStack[]): Promise<TestCloudFormation> {
  const state = { describes: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const name = form.get('StackName');
      const listed = name === null ? stacks : stacks.filter((s) => s.name === name);
      res.setHeader('content-type', 'text/xml');
      if (form.get('Action') !== 'DescribeStacks' || listed.length === 0) {
        res.statusCode = 400;
        res.end(
          `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${xml(name ?? '')} does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
        );
        return;
      }
      state.describes++;
      res.end(`<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<DescribeStacksResult><Stacks>${listed.map(member).join('')}</Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
</DescribeStacksResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get describes() {
      return state.describes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
