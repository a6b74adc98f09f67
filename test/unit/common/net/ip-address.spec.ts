import { effectiveAddress, IpAddress, parseCidr, parseIpAddress, refusedAddressKind } from '@app/common/net/ip-address';

describe('refusedAddressKind (addresses outbound Jira connections never reach)', () => {
  it.each([
    // unspecified: 0.0.0.0/8 and ::
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['0.255.255.255', 'unspecified'], ['::', 'unspecified'], ['0:0:0:0:0:0:0:0', 'unspecified'],
    // link-local
    ['169.254.0.1', 'link-local'], ['169.254.255.255', 'link-local'], ['fe80::1', 'link-local'], ['FE80::abcd', 'link-local'],
    ['febf:ffff::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['[fe80::1]', 'link-local'],
    // cloud metadata
    ['169.254.169.254', 'cloud metadata'], ['169.254.170.2', 'cloud metadata'], ['fd00:ec2::254', 'cloud metadata'],
    ['fd00:ec2:0:0:0:0:0:254', 'cloud metadata'], ['100.100.100.200', 'cloud metadata'], ['168.63.129.16', 'cloud metadata'],
    // IPv4 inside IPv6: mapped (dotted and hex) and NAT64
    ['::ffff:169.254.169.254', 'cloud metadata'], ['[::ffff:a9fe:a9fe]', 'cloud metadata'], ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:169.254.3.4', 'link-local'], ['64:ff9b::a9fe:a9fe', 'cloud metadata'], ['64:ff9b::169.254.0.9', 'link-local'],
    // IPv4-compatible (::/96), SIIT-translated (::ffff:0:0:0/96) and 6to4 (2002::/16) carry an IPv4 address too
    ['::a9fe:a9fe', 'cloud metadata'], ['::169.254.169.254', 'cloud metadata'], ['::ffff:0:a9fe:a9fe', 'cloud metadata'],
    ['::ffff:0:169.254.1.1', 'link-local'], ['2002:a9fe:a9fe::', 'cloud metadata'], ['2002:a9fe:a9fe:1::5', 'cloud metadata'],
    ['2002:a9fe:102::', 'link-local'], ['2002::', 'unspecified'],
    // Oracle Cloud's metadata address
    ['192.0.0.192', 'cloud metadata'], ['::ffff:192.0.0.192', 'cloud metadata'],
  ])('%s is refused as %s', (address, kind) => {
    expect(refusedAddressKind(address)).toBe(kind);
  });

  it.each([
    // loopback and private ranges stay allowed (Jira Data Center often lives there; the allow-list narrows)
    '127.0.0.1', '127.255.0.1', '::1', '10.0.0.1', '172.16.5.4', '192.168.1.10', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3',
    // public addresses, and neighbours of the refused ranges
    '8.8.8.8', '1.0.0.1', '169.253.255.255', '169.255.0.0', '100.100.100.201', '168.63.129.17', 'fec0::1', 'fe7f::1', 'fd00:ec2::253',
    '2606:4700:4700::1111', '64:ff9b::808:808',
    '::ffff:0:a00:1', '2002:a00:1::', '2002:808:808::1', '192.0.0.191', '192.0.0.193',
    // not addresses at all
    'jira.acme.com', 'localhost', '', '169.254.169.254.nip.io', '1.2.3', '::ffff:999.1.1.1',
  ])('%s is not refused', (address) => {
    expect(refusedAddressKind(address)).toBeNull();
  });
});

describe('parseIpAddress', () => {
  it('parses IPv4 and every IPv6 spelling to bytes', () => {
    expect(parseIpAddress('10.1.2.3')!.toByteArray()).toEqual([10, 1, 2, 3]);
    const full = parseIpAddress('fd00:ec2:0:0:0:0:0:254')!.toByteArray();
    expect(parseIpAddress('fd00:ec2::254')!.toByteArray()).toEqual(full);
    expect(parseIpAddress('[FD00:EC2::254]')!.toByteArray()).toEqual(full);
    expect(full.slice(0, 4)).toEqual([0xfd, 0x00, 0x0e, 0xc2]);
    expect(full.slice(14)).toEqual([0x02, 0x54]);
    expect(parseIpAddress('::ffff:1.2.3.4')!.toByteArray()).toEqual(parseIpAddress('::ffff:102:304')!.toByteArray());
    expect(parseIpAddress('1::')!.toByteArray()).toEqual([0, 1, ...Array(14).fill(0)]);
    expect(parseIpAddress('01.2.3.4')).toBeNull();
    expect(parseIpAddress('1:2:3:4:5:6:7:8:9')).toBeNull();
  });

  it('treats IPv4-mapped and NAT64 addresses as the IPv4 address they reach', () => {
    const ipv4 = (ip: IpAddress) => ({ kind: ip.kind(), bytes: ip.toByteArray() });
    expect(ipv4(effectiveAddress(parseIpAddress('::ffff:10.0.0.1')!))).toEqual({ kind: 'ipv4', bytes: [10, 0, 0, 1] });
    expect(ipv4(effectiveAddress(parseIpAddress('64:ff9b::a00:1')!))).toEqual({ kind: 'ipv4', bytes: [10, 0, 0, 1] });
    expect(effectiveAddress(parseIpAddress('::1')!).kind()).toBe('ipv6');
  });
});

describe('parseCidr', () => {
  it('reads an address and a prefix that fits its version', () => {
    const cidr = parseCidr('10.0.0.0/8');
    expect({ kind: cidr?.ip.kind(), bytes: cidr?.ip.toByteArray(), bits: cidr?.bits }).toEqual({ kind: 'ipv4', bytes: [10, 0, 0, 0], bits: 8 });
    expect(parseCidr('fd00::/128')?.bits).toBe(128);
    expect(parseCidr('0.0.0.0/0')?.bits).toBe(0);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/8/1', 'jira/8', '10.0.0.0/0008'])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

