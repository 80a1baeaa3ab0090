import type { CommandHelp } from "./help";

// The built-in KMS sandbox runs from lib/kms-sandbox; its help is here, in the layout of the others.
export const SANDBOX_HELP: CommandHelp = {
  command: "sandbox",
  summary: "run the built-in KMS sandbox standalone",
  usage: [
    "sandbox [--port N] [--host H] [--accounts N] [--regions R1,R2] [--keys N]",
    "        [--seed S] [--demo] [--hostile] [--organization] [--ous N]",
    "        [--latency MS] [--throttle RATE] [--server-errors RATE] [--drop RATE]",
  ],
  description:
    "Serves a generated estate of KMS keys over the KMS and STS wire protocols, for trying the " +
    "console against many accounts or faults; prints the settings that point the AWS SDK at it. " +
    "Stops on Ctrl+C.",
  options: [
    { flag: "--port N", text: "the port to listen on", default: "4566" },
    { flag: "--host H", text: "the address to listen on", default: "127.0.0.1" },
    { flag: "--accounts N", text: "accounts in the estate", default: "3" },
    { flag: "--regions R1,R2", text: "regions of each account", default: "us-east-1,eu-west-1" },
    { flag: "--keys N", text: "keys per account-region", default: "30" },
    { flag: "--seed S", text: "the same seed gives the same estate", default: "1" },
    { flag: "--demo", text: "the estate of the console's demo mode instead" },
    { flag: "--organization", text: "an AWS Organization over the accounts (the first manages it)" },
    { flag: "--ous N", text: "OUs of that organization (implies --organization)", default: "12" },
    { flag: "--latency MS", text: "delay of each answer", default: "0" },
    { flag: "--throttle RATE", text: "share of calls answered ThrottlingException, 0 to 1", default: "0" },
    {
      flag: "--server-errors RATE",
      text: "share of calls answered with a server error, 0 to 1",
      default: "0",
    },
    { flag: "--drop RATE", text: "share of connections dropped, 0 to 1", default: "0" },
    { flag: "--hostile", text: "keys with hostile names, tags and descriptions" },
  ],
};
