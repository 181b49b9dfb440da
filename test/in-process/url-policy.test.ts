import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigurationError } from "../../lib/errors.ts";
import { classifyHost } from "../../lib/security/address-classes.ts";
import { checkDxpUrl, DEFAULT_URL_POLICY, parseUrlPolicy, type UrlPolicy } from "../../lib/security/url-policy.ts";

type HostClass = ReturnType<typeof classifyHost>;

const classifications: Array<[string, HostClass]> = [
  // names
  ["demo.us.nectar.services", "public-name"],
  ["DEMO.US.NECTAR.SERVICES.", "public-name"],
  ["bücher.example", "public-name"],
  ["localhost", "loopback"],
  ["LOCALHOST.", "loopback"],
  ["metadata.google.internal", "metadata"],
  ["metadata", "metadata"],
  ["intranet", "private"],
  ["printer.local", "private"],
  ["app.localhost", "private"],
  ["db.corp.internal", "private"],
  // IPv4
  ["8.8.8.8", "public-ip"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.1", "public-ip"],
  ["172.15.255.255", "public-ip"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "private"],
  ["100.127.255.255", "private"],
  ["100.128.0.1", "public-ip"],
  ["169.254.1.1", "link-local"],
  ["169.254.169.254", "metadata"],
  ["169.254.170.2", "metadata"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["224.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  ["192.0.2.10", "reserved"],
  // odd IPv4 spellings the URL parser normalizes
  ["2130706433", "loopback"],
  ["0x7f.1", "loopback"],
  ["017700000001", "loopback"],
  ["0x7f000001", "loopback"],
  ["127.1", "loopback"],
  ["0", "unspecified"],
  ["0xa9.0xfe.0xa9.0xfe", "metadata"],
  ["167772161", "private"],
  ["%31%32%37.0.0.1", "loopback"],
  ["127.0.0.1.", "loopback"],
  // IPv6, with and without brackets
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::", "unspecified"],
  ["[::]", "unspecified"],
  ["fc00::1", "private"],
  ["fd12:3456::1", "private"],
  ["[fd00:ec2::254]", "metadata"],
  ["fe80::1", "link-local"],
  ["febf::1", "link-local"],
  ["ff02::1", "reserved"],
  ["2001:db8::1", "reserved"],
  ["2606:4700:4700::1111", "public-ip"],
  ["[2606:4700:4700::1111]", "public-ip"],
  // IPv4-mapped and embedded IPv4
  ["::ffff:10.0.0.1", "private"],
  ["[::ffff:127.0.0.1]", "loopback"],
  ["::ffff:a9fe:a9fe", "metadata"],
  ["::ffff:8.8.8.8", "public-ip"],
  ["::127.0.0.1", "reserved"],
  ["64:ff9b::10.0.0.1", "private"],
  ["2002:a9fe:a9fe::1", "metadata"],
  // not hosts at all
  ["", "reserved"],
  ["evil.com@127.0.0.1", "reserved"],
  ["127.0.0.1:8080", "reserved"],
  ["1.2.3.4.5", "reserved"],
  ["[::1%eth0]", "reserved"],
];

describe("classifyHost", () => {
  for (const [host, expected] of classifications) {
    test(`classifies ${JSON.stringify(host)} as ${expected}`, () => {
      assert.equal(classifyHost(host), expected);
    });
  }
});

const accepted: Array<[string, string, Partial<UrlPolicy>?]> = [
  ["https://demo.us.nectar.services", "https://demo.us.nectar.services"],
  ["https://demo.us.nectar.services/", "https://demo.us.nectar.services"],
  ["  https://demo.us.nectar.services/  ", "https://demo.us.nectar.services"],
  ["https://DEMO.US.NECTAR.SERVICES./", "https://demo.us.nectar.services"],
  ["https://demo.us.nectar.services/dxp/api/", "https://demo.us.nectar.services/dxp/api"],
  ["https://demo.us.nectar.services:8443/x//", "https://demo.us.nectar.services:8443/x"],
  ["https://demo.us.nectar.services:443/", "https://demo.us.nectar.services"],
  ["https://demo.us.nectar.services/?tenant=a#top", "https://demo.us.nectar.services"],
  ["https://a.b.nectar.services", "https://a.b.nectar.services"],
  ["https://dxp.example.com", "https://dxp.example.com", { allowedHosts: ["dxp.example.com"] }],
  ["https://any.example.org", "https://any.example.org", { allowedHosts: ["*"] }],
  ["https://dxp.corp.internal", "https://dxp.corp.internal", { allowedHosts: ["*.corp.internal"] }],
  ["https://intranet-dxp", "https://intranet-dxp", { allowedHosts: ["*"], allowPrivateAddresses: true }],
  ["http://127.0.0.1:8080", "http://127.0.0.1:8080", { allowLoopbackHttp: true }],
  ["http://localhost:3000/api/", "http://localhost:3000/api", { allowLoopbackHttp: true }],
  ["https://127.0.0.2:9443", "https://127.0.0.2:9443", { allowLoopbackHttp: true }],
  ["http://[::1]:8080", "http://[::1]:8080", { allowLoopbackHttp: true }],
  ["http://2130706433:8080/", "http://127.0.0.1:8080", { allowLoopbackHttp: true }],
  ["https://10.0.0.5", "https://10.0.0.5", { allowPrivateAddresses: true }],
  ["https://8.8.8.8", "https://8.8.8.8", { allowPrivateAddresses: true }],
  ["https://[fd12::1]:8443", "https://[fd12::1]:8443", { allowPrivateAddresses: true }],
];

describe("checkDxpUrl accepts", () => {
  for (const [raw, expected, policy] of accepted) {
    test(`${raw.trim()}${policy ? ` with ${JSON.stringify(policy)}` : ""}`, () => {
      assert.equal(checkDxpUrl(raw, policy), expected);
    });
  }
});

const refused: Array<[string, RegExp, Partial<UrlPolicy>?]> = [
  ["", /No DXP URL/],
  ["not a url", /not a valid absolute URL/],
  ["demo.us.nectar.services", /not a valid absolute URL/],
  ["https://", /not a valid absolute URL/],
  ["ftp://demo.us.nectar.services", /must use https, not ftp/],
  ["http://demo.us.nectar.services", /must use https; plain http/],
  ["http://demo.us.nectar.services", /must use https; plain http/, { allowLoopbackHttp: true }],
  ["https://user:pass@demo.us.nectar.services", /user name or password/],
  ["https://token@demo.us.nectar.services", /user name or password/],
  ["https://evil.com", /evil\.com is not an allowed DXP host \(allowed: \*\.nectar\.services\)/],
  ["https://nectar.services", /not an allowed DXP host/],
  ["https://evil.nectar.services.attacker.com", /not an allowed DXP host/],
  ["https://evilnectar.services", /not an allowed DXP host/],
  ["https://nectar.services.evil.com/", /not an allowed DXP host/],
  ["https://intranet", /not an allowed DXP host/, { allowedHosts: ["*"] }],
  ["https://printer.local", /not an allowed DXP host/, { allowedHosts: ["*"] }],
  ["https://localhost", /loopback host \(localhost\)/],
  ["http://localhost:3000", /loopback host/],
  ["https://127.0.0.1", /loopback host/],
  ["https://127.0.0.2:9443", /loopback host/],
  ["https://[::1]", /loopback host/],
  ["http://2130706433/", /loopback host \(127\.0\.0\.1\)/],
  ["http://0x7f.1/", /loopback host/],
  ["http://017700000001/", /loopback host/],
  ["https://[::ffff:127.0.0.1]", /loopback host/],
  ["https://10.0.0.1", /IP address \(10\.0\.0\.1, a private address\)/],
  ["https://172.16.5.4", /IP address/],
  ["https://192.168.0.10", /IP address/],
  ["https://100.64.1.1", /IP address/],
  ["https://[fc00::1]", /IP address/],
  ["https://[fd12:3456::1]", /IP address/],
  ["https://169.254.1.1", /a link-local address \(169\.254\.1\.1\), which is never accepted/],
  ["https://[fe80::1]", /link-local address/],
  ["https://[::ffff:10.0.0.1]", /IP address \(10\.0\.0\.1, a private address\)/], // named by its canonical form
  ["https://8.8.8.8", /IP address \(8\.8\.8\.8, a public address\); only host names/],
  ["https://[2606:4700:4700::1111]", /IP address/],
  ["https://169.254.169.254/latest/meta-data", /cloud metadata service/],
  ["https://169.254.169.254", /cloud metadata service/, { allowPrivateAddresses: true, allowedHosts: ["*"] }],
  ["https://[fd00:ec2::254]", /cloud metadata service/, { allowPrivateAddresses: true }],
  ["https://metadata.google.internal", /cloud metadata service/, { allowedHosts: ["*"] }],
  ["https://metadata", /cloud metadata service/, { allowedHosts: ["metadata"], allowPrivateAddresses: true }],
  ["https://0.0.0.0", /unspecified address/],
  ["https://0.0.0.0", /unspecified address/, { allowPrivateAddresses: true }],
  ["https://[::]", /unspecified address/, { allowPrivateAddresses: true }],
  ["https://224.0.0.1", /reserved/, { allowPrivateAddresses: true }],
  ["http://10.0.0.1", /must use https/, { allowPrivateAddresses: true, allowLoopbackHttp: true }],
  ["https://a..nectar.services", /not a valid/],
];

describe("checkDxpUrl refuses", () => {
  for (const [raw, message, policy] of refused) {
    test(`${JSON.stringify(raw)}${policy ? ` with ${JSON.stringify(policy)}` : ""}`, () => {
      assert.throws(
        () => checkDxpUrl(raw, policy),
        (err: unknown) => {
          assert.ok(err instanceof ConfigurationError, `expected ConfigurationError, got ${String(err)}`);
          assert.match(err.message, message);
          assert.ok(err.hint, "a refusal says what is accepted");
          return true;
        },
      );
    });
  }
});

describe("checkDxpUrl messages", () => {
  const secrets = ["s3cr3t-user", "s3cr3t-pass", "tok_9f8e7d", "sig=abc123"];
  const withSecrets = [
    "https://s3cr3t-user:s3cr3t-pass@demo.us.nectar.services/?token=tok_9f8e7d",
    "https://s3cr3t-user:s3cr3t-pass@evil.com/?token=tok_9f8e7d",
    "http://s3cr3t-user:s3cr3t-pass@10.0.0.1/?token=tok_9f8e7d",
    "https://evil.com/api?token=tok_9f8e7d&sig=abc123",
    "http://demo.us.nectar.services/?token=tok_9f8e7d",
    "https://10.0.0.1/?token=tok_9f8e7d#sig=abc123",
    "https://169.254.169.254/?token=tok_9f8e7d",
    "https://localhost/?token=tok_9f8e7d",
    "ftp://s3cr3t-user:s3cr3t-pass@x/?token=tok_9f8e7d",
    "https://s3cr3t-user:s3cr3t-pass@[not-valid/?token=tok_9f8e7d",
    "s3cr3t-user:s3cr3t-pass tok_9f8e7d",
  ];
  for (const raw of withSecrets) {
    test(`never contain the userinfo or query of ${raw}`, () => {
      try {
        checkDxpUrl(raw);
        assert.fail("expected a refusal");
      } catch (err) {
        assert.ok(err instanceof ConfigurationError);
        for (const secret of secrets) {
          assert.ok(!err.userMessage.includes(secret), `message leaks ${secret}: ${err.userMessage}`);
        }
      }
    });
  }

  test("drop the query of an accepted URL", () => {
    assert.equal(
      checkDxpUrl("https://demo.us.nectar.services/api?token=tok_9f8e7d"),
      "https://demo.us.nectar.services/api",
    );
  });
});

describe("checkDxpUrl policy", () => {
  test("defaults to *.nectar.services with no private or loopback hosts", () => {
    assert.deepEqual([...DEFAULT_URL_POLICY.allowedHosts], ["*.nectar.services"]);
    assert.equal(DEFAULT_URL_POLICY.allowPrivateAddresses, false);
    assert.equal(DEFAULT_URL_POLICY.allowLoopbackHttp, false);
  });

  test("ignores undefined fields of a partial policy", () => {
    assert.equal(
      checkDxpUrl("https://demo.us.nectar.services", { allowedHosts: undefined }),
      "https://demo.us.nectar.services",
    );
  });

  test("refuses a malformed host pattern", () => {
    assert.throws(
      () => checkDxpUrl("https://demo.us.nectar.services", { allowedHosts: ["https://x.com"] }),
      ConfigurationError,
    );
    assert.throws(
      () => checkDxpUrl("https://demo.us.nectar.services", { allowedHosts: ["*nectar.services"] }),
      ConfigurationError,
    );
  });
});

describe("parseUrlPolicy", () => {
  test("uses the defaults for an empty environment", () => {
    assert.deepEqual(parseUrlPolicy({}), {
      allowedHosts: ["*.nectar.services"],
      allowPrivateAddresses: false,
      allowLoopbackHttp: false,
    });
  });

  test("splits, trims and lower-cases the host list", () => {
    const policy = parseUrlPolicy({ allowedHosts: " DXP.Example.com , *.nectar.services,, " });
    assert.deepEqual(policy.allowedHosts, ["dxp.example.com", "*.nectar.services"]);
  });

  test("falls back to the default hosts when the list is blank", () => {
    assert.deepEqual(parseUrlPolicy({ allowedHosts: " , " }).allowedHosts, ["*.nectar.services"]);
  });

  test("refuses a host entry with a scheme", () => {
    assert.throws(() => parseUrlPolicy({ allowedHosts: "https://dxp.example.com" }), ConfigurationError);
  });
});
