import { useState } from 'react';
import { Button } from 'react-aria-components';

/** Copies `text` to the clipboard and says so for a moment (or that the browser refused). */
export function CopyButton({ text, label }: { readonly text: string; readonly label: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      // The page may lack clipboard permission (a plain-http console): the text stays selectable.
      setSaid('Copy failed: select the text instead');
    }
    setTimeout(() => setSaid(null), 2000);
  };
  return (
    <Button className="button button-small" aria-label={label} onPress={() => void copy()}>
      {said ?? 'Copy'}
    </Button>
  );
}
