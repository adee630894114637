import { Agent, agent, Memory } from '@weaver/sdk';

// The plan's closing example ("Example Usage After Implementation"), line for line. Where
// TypeScript forces a difference (process's keyword argument is an object, `new Workflow`),
// docs/sdk-reference.md shows both side by side.

// Define agents with just a few lines
@agent
export class Researcher extends Agent {
  memory = Memory({ semantic: 'large' });

  async process({ topic }: { topic: string }) {
    const research = await this.llm.research(topic);
    return this.publish('research_complete', research);
  }
}

@agent
export class Writer extends Agent {
  memory = Memory({ episodic: '7d' });
  requires = ['research_complete'];

  async process(research: string) {
    const article = await this.llm.write_article(research);
    return this.publish('article_ready', article);
  }
}

@agent
export class Reviewer extends Agent {
  requires = ['article_ready'];

  async process(article: string) {
    const review = await this.llm.review(article);
    return this.publish('review_complete', review);
  }
}
