import { createApp } from './create-app.js';

createApp().app.synth();
