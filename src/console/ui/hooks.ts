// Loading API data into a component: the value, the error, whether it is loading, and a reload.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from './api';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    get<T>(path).then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: Error) => {
        if (!current) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, tick]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, loading, reload };
}

/** The current hash route, e.g. "#/topics/orders" gives ["topics", "orders"], with its query. */
export function useRoute(): { parts: string[]; query: URLSearchParams } {
  const read = () => {
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, search] = hash.split('?');
    return {
      parts: path.split('/').filter(Boolean).map(decodeURIComponent),
      query: new URLSearchParams(search ?? ''),
    };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
