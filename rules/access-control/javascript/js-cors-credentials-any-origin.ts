import { NestFactory } from '@nestjs/core';
import fastifyCors from '@fastify/cors';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  // ruleid: js-cors-credentials-any-origin
  app.enableCors({ origin: true, credentials: true });
  // ok: js-cors-credentials-any-origin
  app.enableCors({ origin: ['https://admin.example.com'], credentials: true });
}

export async function plugins(fastify: any) {
  // ruleid: js-cors-credentials-any-origin
  await fastify.register(fastifyCors, { origin: true, credentials: true });
  // ok: js-cors-credentials-any-origin
  await fastify.register(fastifyCors, { origin: process.env.CORS_ORIGIN, credentials: true });
}
