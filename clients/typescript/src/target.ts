/**
 * The endpoints a target names: a static list `host1:port1,host2:port2` gets an endpoint per
 * entry (each its own channel, breaker and bulkhead); anything else (`host:port`, `dns:///name`,
 * `unix:/path`, an IP literal) is one endpoint, one channel, resolved by grpc-js.
 * @throws TypeError for a blank target or a list with no address
 */
export function parseTarget(target: string): string[] {
  if (typeof target !== "string" || target.trim() === "") {
    throw new TypeError("target must be a non-blank string such as 'localhost:8500'");
  }
  if (!target.includes(",")) {
    return [target.trim()];
  }
  const addresses = target
    .split(",")
    .map((address) => address.trim())
    .filter((address) => address !== "");
  if (addresses.length === 0) {
    throw new TypeError(`no address in target '${target}'`);
  }
  return addresses;
}
