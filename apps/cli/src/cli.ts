import { runCli } from './run-cli';

// Reading the output through `head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await runCli(process.argv);
// Worker threads and loader hooks can outlive a session by a moment: exit explicitly once the
// output is flushed.
process.stdout.write('', () => {
  process.stderr.write('', () => process.exit(code));
});
