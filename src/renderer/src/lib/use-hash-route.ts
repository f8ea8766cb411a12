import { useEffect, useState } from 'react';

/** The app's page from the URL fragment (#/hardware), so reloads and links keep the page. */
export function useHashRoute(): string {
  const read = (): string => window.location.hash.replace(/^#\/?/, '').split(/[?&]/)[0] ?? '';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = (): void => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
