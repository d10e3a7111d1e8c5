import { Global, Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module.js';
import { LiveController } from './live.controller.js';
import { LiveHub } from './live-hub.js';
import { LiveSources } from './live-sources.js';

/** Live updates for open pages (server-sent events): inbox and bell change without polling. */
@Global()
@Module({ imports: [EngineModule], controllers: [LiveController], providers: [LiveHub, LiveSources], exports: [LiveHub] })
export class LiveModule {}
