/**
 * `compute` remembered for the last few thousand distinct keys (the memory is emptied when it is
 * full): for values that recur across a million rows, such as the instants of an export (a scan
 * evaluates an account-region at one instant; rotations fall on days). `compute` never returns
 * undefined, which stands for "not remembered".
 */
export function recurring<K, V extends NonNullable<unknown> | null>(
  compute: (key: K) => V,
  size = 4096,
): (key: K) => V {
  const memory = new Map<K, V>();
  return (key) => {
    let value = memory.get(key);
    if (value === undefined) {
      if (memory.size >= size) memory.clear();
      memory.set(key, (value = compute(key)));
    }
    return value;
  };
}
