/** A file imported as text (`import text from './file.ts?raw'`): the build inlines it as a string. */
declare module '*?raw' {
  const text: string;
  export default text;
}
