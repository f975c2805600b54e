import express, { Request, Response } from 'express';
import { verifyToken } from './middleware';

const router = express.Router();

// ruleid: js-express-route-without-auth
router.put('/settings', async (req: Request, res: Response) => {
  res.json(await settings.save(req.body));
});

router.use(verifyToken);

// ok: js-express-route-without-auth
router.post('/payments', async (req: Request, res: Response) => {
  res.json(await payments.create(req.body));
});

export default router;
