// tsyringe needs the Reflect metadata polyfill before it is first evaluated; core imports this first.
import 'reflect-metadata';
