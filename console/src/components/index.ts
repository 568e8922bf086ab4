export { Alert, Status } from './alert.js';
export { Badge } from './badge.js';
export { Button } from './button.js';
export { Dialog, Field } from './dialog.js';
export { Loaded, Section } from './section.js';
export { Table } from './table.js';
export { Countdown, Time } from './time.js';
