import { useState } from 'react';
import { Button } from 'react-aria-components';
import {
  askNotificationPermission,
  notificationPermission,
  type NotificationPermissionState,
} from '../../app/notifications.js';

const STATE_TEXT: Readonly<Record<Exclude<NotificationPermissionState, 'default'>, string>> = {
  granted:
    'Desktop notifications are on: breakers opening or closing, degraded mode, replays finished or stuck.',
  denied:
    'Desktop notifications are blocked for this console; allow them in the browser settings to get them.',
  unsupported: 'This browser shows no desktop notifications; the banner keeps you informed.',
};

/** Asks for notification permission only when the operator presses the button, never on load. */
export function NotificationsToggle() {
  const [state, setState] = useState<NotificationPermissionState>(() => notificationPermission());
  if (state !== 'default') return <p className="muted notifications-state">{STATE_TEXT[state]}</p>;
  return (
    <Button className="button" onPress={() => void askNotificationPermission().then(setState)}>
      Turn on desktop notifications
    </Button>
  );
}
