/**
 * Programs, smart campaigns, campaign runs, tag types, channels and the per-lead My Tokens that importToList
 * leaves for a campaign's next run: the storage side of the campaign, channel and tag operations.
 * Reached as `store.campaigns` (reads) and `tx.campaigns` (reads and writes, inside a transaction).
 */
import type { Program } from './mobject-store.js';

/** What the campaign operations read of a program: its row, without the costs and tokens MObjects carry. */
export type ProgramSummary = Pick<Program, 'id' | 'name' | 'channel' | 'workspaceName' | 'tags'>;

export interface Campaign {
  id: number;
  programId: number;
  programName: string;
  name: string;
  kind: 'trigger' | 'batch';
  /** Sources it may be requested from: MKTOWS, SALES. */
  sources: string[];
  description: string;
}

export type TokenPairs = [string, string][];

export interface NewCampaignRun {
  operation: 'requestCampaign' | 'scheduleCampaign';
  campaignId: number;
  campaignName: string;
  source: string | null;
  userId: string;
  leadIds: number[];
  tokens: TokenPairs;
  leadTokens: Record<string, TokenPairs>;
  runAt: number;
  createdAt: number;
  quotaDay: string;
  clonedFrom: string | null;
  cloneToProgram: string | null;
}

export interface CampaignRun extends NewCampaignRun {
  id: number;
}

export interface TagType {
  type: string;
  values: string[];
}

/** A progression status of a channel, as getChannels writes it. */
export interface ChannelStatus {
  status: string;
  step: number;
  success: boolean;
  /** Extra attribs some channels carry (Tradeshow's Check-in Status, Webinar Behavior). */
  extra?: [string, string][];
}

export interface Channel {
  name: string;
  /** null: the built-in statuses of the name. */
  statuses: ChannelStatus[] | null;
}

/** A static list with the times the asset API shows (lists keep no times of their own). */
export interface ListSummary {
  id: number;
  name: string;
  programName: string | null;
  /** Its program's creation, else its first member's addition, else 0. */
  createdAt: number;
  /** Its last member's addition, never before createdAt. */
  updatedAt: number;
}

export interface CampaignReads {
  /** A program by name, case-insensitively. */
  findProgram(name: string): Promise<ProgramSummary | undefined>;
  listPrograms(): Promise<ProgramSummary[]>;
  getCampaign(id: number): Promise<Campaign | undefined>;
  /** A campaign of a program by name, case-insensitively. */
  findCampaign(programId: number, name: string): Promise<Campaign | undefined>;
  /** Every campaign, by program name then campaign name. */
  listCampaigns(): Promise<Campaign[]>;
  /** Every static list, by id. */
  listStaticLists(): Promise<ListSummary[]>;
  /** The seed's tag-type catalogue, in seed order. */
  listTagTypes(): Promise<TagType[]>;
  /** The defined channels, in seed order. */
  listChannels(): Promise<Channel[]>;
  /** Runs, newest first. */
  listCampaignRuns(filter?: { campaignId?: number; limit?: number }): Promise<CampaignRun[]>;
  /** scheduleCampaign calls with cloneToProgramName made by a user on a quota day. */
  countCloneRuns(userId: string, quotaDay: string): Promise<number>;
  /** Per-lead My Tokens waiting for the campaign's next run, by lead id. */
  pendingLeadTokens(campaignId: number): Promise<Map<number, TokenPairs>>;
}

export interface CampaignWrites extends CampaignReads {
  recordCampaignRun(run: NewCampaignRun): Promise<CampaignRun>;
  /** Copies a program (channel, workspace, tags), its campaigns and its lists (without members). */
  cloneProgram(from: ProgramSummary, toName: string, at: number): Promise<ProgramSummary>;
  upsertTagType(tagType: TagType): Promise<void>;
  /** Defines a channel, or redefines the one of that name (case-insensitively), keeping its place. */
  upsertChannel(channel: Channel): Promise<void>;
  /** Merges token values for one lead into what waits for the campaign's next run. */
  setLeadTokens(campaignId: number, leadId: number, tokens: TokenPairs, at: number): Promise<void>;
  /** Removes and returns the waiting tokens of the given leads (all leads when omitted). */
  takeLeadTokens(campaignId: number, leadIds?: readonly number[]): Promise<Map<number, TokenPairs>>;
}
