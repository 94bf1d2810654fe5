/** express4 is npm:express@4 (a dev dependency, to test the adapter on Express 4); Express has no types of its own. */
declare module "express4" {
  import express from "express";
  export default express;
}
